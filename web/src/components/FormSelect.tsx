import type { ComponentType } from 'react';
import { Checkbox, Select, type SelectProps } from 'antd';
import type { CheckboxGroupProps } from 'antd/es/checkbox';

/**
 * A control for a required Form.Item. The item hands its control `aria-required`, which antd's
 * Select and Checkbox.Group put on their outer <div>, where ARIA does not allow it (axe:
 * aria-allowed-attr); the field is marked required by its label and its validation message instead.
 */
function withoutAriaRequired<P extends object>(Control: ComponentType<P>) {
  return function FormControl(props: P & { 'aria-required'?: unknown }) {
    const { 'aria-required': _required, ...rest } = props;
    return <Control {...(rest as P)} />;
  };
}

export const FormSelect = withoutAriaRequired<SelectProps>(Select);
export const FormCheckboxGroup = withoutAriaRequired<CheckboxGroupProps>(Checkbox.Group);
